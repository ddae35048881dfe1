// What a call throws, as the tests compare it: [Python exception name, message] (struct.error
// is 'struct.error'), the form the fixtures generated from CPython record errors in.

/** A Python exception as a record: [class name, message]. */
export type PyErrorRecord = [name: string, message: string];

/** [name, message] of a thrown value; a value that is not an Error gives ['<not an Error>', String(value)]. */
export function errorRecord(e: unknown): PyErrorRecord {
  if (e instanceof Error) return [e.name, e.message];
  return ['<not an Error>', String(e)];
}

/** What `fn` throws, as [name, message], or 'no error' when it returns. */
export function errorOf(fn: () => unknown): PyErrorRecord | 'no error' {
  try {
    fn();
  } catch (e) {
    return errorRecord(e);
  }
  return 'no error';
}

/** The value `fn` throws, to check its class or its other fields; undefined when it returns. */
export function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

/** The value `promise` rejects with; undefined when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  return undefined;
}

/** The name of what `fn` throws, or 'no error' when it returns. */
export function errorName(fn: () => unknown): string {
  const e = errorOf(fn);
  return e === 'no error' ? e : e[0];
}
