// Every function, class and constant the package exports carries a doc comment, which editors
// show from the typings: a statement put between a function and its comment (as once happened to
// slice()) leaves the function without one, and nothing else would notice.
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

describe('the public exports', () => {
  it('each have a doc comment (the namespaces: their functions and classes)', () => {
    const program = ts.createProgram(['src/index.ts'], { strict: true, target: ts.ScriptTarget.ES2022 });
    const checker = program.getTypeChecker();
    const index = checker.getSymbolAtLocation(program.getSourceFile('src/index.ts')!)!;
    const undocumented: string[] = [];
    const check = (exported: ts.Symbol, namespace: string | null): void => {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      const name = namespace === null ? exported.name : `${namespace}.${exported.name}`;
      if (symbol.flags & ts.SymbolFlags.ValueModule) {
        // testbuffer and struct: their members (their constants are _testbuffer's and struct's
        // module constants under CPython's names, documented with the module)
        for (const member of checker.getExportsOfModule(symbol)) check(member, name);
        return;
      }
      const kinds = namespace === null ? ts.SymbolFlags.Value : ts.SymbolFlags.Function | ts.SymbolFlags.Class;
      if (!(symbol.flags & kinds)) return; // types are documented where they are used
      if (symbol.getJsDocTags(checker).some((t) => t.name === 'internal')) return; // stripped from the typings
      if (symbol.getDocumentationComment(checker).length === 0) undocumented.push(name);
    };
    const exports = checker.getExportsOfModule(index);
    for (const e of exports) check(e, null);
    expect(exports.length).toBeGreaterThan(40);
    expect(undocumented).toEqual([]);
  });
});
