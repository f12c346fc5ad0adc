/**
 * ONNX adapter: an onnxruntime-node session created from the artifact's bytes. The runtime is
 * required lazily, so a process that never serves an ONNX model never loads the native
 * library; release() frees the session when a hot-swap replaces it.
 */
import type { InferenceSession } from 'onnxruntime-node';

type Ort = typeof import('onnxruntime-node');
let ort: Ort | undefined;
const runtime = (): Ort => (ort ??= require('onnxruntime-node') as Ort);

export class OnnxModel {
  private released = false;

  private constructor(
    private readonly session: InferenceSession,
    readonly inputName: string,
    readonly outputName: string,
    readonly nFeatures: number,
  ) {}

  static async fromBytes(bytes: Uint8Array, nFeatures: number): Promise<OnnxModel> {
    const session = await runtime().InferenceSession.create(bytes, {
      intraOpNumThreads: 1,
      interOpNumThreads: 1,
      graphOptimizationLevel: 'all',
    });
    if (session.inputNames.length !== 1 || session.outputNames.length < 1) {
      await session.release();
      throw new Error(
        `ONNX model must have one input and an output, ` +
          `has ${session.inputNames.length} and ${session.outputNames.length}`,
      );
    }
    return new OnnxModel(session, session.inputNames[0]!, session.outputNames[0]!, nFeatures);
  }

  /** One output value per row (the model's first output, first column). */
  async predict(rows: readonly (readonly number[])[]): Promise<Float64Array> {
    if (this.released) throw new Error('ONNX session already released (a newer version replaced it)');
    const data = new Float64Array(rows.length * this.nFeatures);
    rows.forEach((r, i) => {
      if (r.length !== this.nFeatures)
        throw new RangeError(`row ${i} has ${r.length} features, the model reads ${this.nFeatures}`);
      data.set(r, i * this.nFeatures);
    });
    const input = new (runtime().Tensor)('float64', data, [rows.length, this.nFeatures]);
    const out = await this.session.run({ [this.inputName]: input });
    const t = out[this.outputName]!;
    return Float64Array.from(t.data as Float32Array | Float64Array);
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await this.session.release();
  }
}
