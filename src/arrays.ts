// Appending without spreading: `push(...items)` passes every item as an argument,
// and past ~125k items that overflows the call stack.

export function appendAll<T>(into: T[], items: readonly T[]): void {
  for (const item of items) into.push(item);
}
