/** Why a chart could not be made; the message says what to do instead. */
export type ChartErrorCode = 'unknown-kind' | 'unknown-stream' | 'bad-input';

/** A chart request that cannot be answered (unknown chart, unknown stream, bad period or series). */
export class ChartError extends Error {
  readonly code: ChartErrorCode;
  constructor(code: ChartErrorCode, message: string) {
    super(message);
    this.name = 'ChartError';
    this.code = code;
  }
}
