// Prettier: the layout of the code (`npm run format` writes it, `npm run lint` checks it).
// Chosen to stay close to the hand-written style: single quotes, semicolons, 120 columns (the
// width the bench console and the longer lines already used); the rest is Prettier's default
// (trailing commas, parenthesised arrow parameters). .prettierignore says what it leaves alone.
export default {
  singleQuote: true,
  printWidth: 120,
};
