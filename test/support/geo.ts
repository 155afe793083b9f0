/**
 * The closed ring of a longitude/latitude box, counter-clockwise from its
 * south-west corner: `box(west, south, east, north)`. Test shapes are built
 * from these.
 */
export const box = (west: number, south: number, east: number, north: number): number[][] => [
  [west, south],
  [east, south],
  [east, north],
  [west, north],
  [west, south],
];
