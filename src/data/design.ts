/** A design (covariate matrix) of DESIGN.md. values: row-major [row*nCols + col], one row per panel row. */
export interface Design {
  names: string[];
  values: Float64Array;
}

export function designCols(d: Design): number {
  return d.names.length;
}
