declare module "munkres-js" {
  /** Hungarian assignment minimising total cost; returns [row, column] pairs. Pads non-square input. */
  function computeMunkres(costMatrix: number[][]): [number, number][];
  export = computeMunkres;
}
