// Wire format of FlexSearch's exported term map. FlexSearch writes each term's postings as an
// array indexed by slot, mostly nulls ([null, null, [3], null, [1, 2]]); we write only the filled
// slots as slot/ids pairs (["term", 2, [3], 4, [1, 2]]), which is much smaller, and restore
// FlexSearch's own shape before importing it.

type Postings = (number[] | null)[];
type ExportedMap = [string, Postings][];
type CompactMap = (string | number | number[])[][];

export function compactTermMap(map: ExportedMap): CompactMap {
  return map.map(([term, slots]) => {
    const row: (string | number | number[])[] = [term];
    slots.forEach((ids, slot) => {
      if (ids?.length) row.push(slot, ids);
    });
    return row;
  });
}

export function expandTermMap(compact: CompactMap): ExportedMap {
  return compact.map(([term, ...pairs]) => {
    const slots: Postings = [];
    for (let i = 0; i < pairs.length; i += 2) slots[pairs[i] as number] = pairs[i + 1] as number[];
    return [term as string, Array.from(slots, (ids) => ids ?? null)];
  });
}
