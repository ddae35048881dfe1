// V8 sizes a class's objects when its in-object slack tracking ends: by the fields of the field
// maps still alive at that moment. Tracking often ends in a major collection, and if none of the
// class's objects is alive then (a small view made and released between large copies) those maps
// are gone and every later object keeps all its fields out of line: one allocation more each and
// slower loads. The harness's small view took 1.6x as long after its other scenarios for that.

// Constructions that end the tracking in any V8 (its counter starts at 7)
const SLACK_TRACKING_CONSTRUCTIONS = 8;

/**
 * Ends the in-object slack tracking of the class `make` constructs, with its objects' fields
 * inline: constructs it as often as the tracking lasts, keeping every object alive meanwhile.
 * `make` must give each field its usual kind of value (as the hot path does). Called at load,
 * outside the functions that construct the class: done on first use inside them, it made the
 * small view 5-20% slower alone (their code grew, and V8 inlined less of it, it seems).
 */
export function settleObjectShape(make: () => object): void {
  const alive: object[] = [];
  for (let i = 0; i < SLACK_TRACKING_CONSTRUCTIONS; i++) alive.push(make());
}
