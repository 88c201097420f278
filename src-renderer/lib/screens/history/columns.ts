/** Which columns the images table shows at a given width of its own (not the window's). */
export interface ImageColumns {
  columns: string;
  sizeAndDate: boolean;
  status: boolean;
}

// Below these widths the name column would fall under ~250 px: a column moves into the name's
// second line instead. Measured with the fit test (test/e2e/layout-fit.spec.ts).
const STATUS_FROM = 700;
const SIZE_AND_DATE_FROM = 460;

export function imageColumns(width: number): ImageColumns {
  if (width >= STATUS_FROM) {
    return { columns: 'minmax(0, 1fr) 84px 176px 170px', sizeAndDate: true, status: true };
  }
  if (width >= SIZE_AND_DATE_FROM) {
    return { columns: 'minmax(0, 1fr) 84px 176px', sizeAndDate: true, status: false };
  }
  return { columns: 'minmax(0, 1fr)', sizeAndDate: false, status: false };
}
