// The parity reference for SileroVad: Silero VAD v5 run by ONNX Runtime (onnxruntime-node) on a 16-bit mono WAV,
// window by window exactly as Silero's reference wrapper (utils_vad.py, OnnxWrapper.__call__) does: 512 new samples
// at 16 kHz (256 at 8 kHz) behind the previous input's last 64 (32) samples, zeros before the first window; the
// state [2, 1, 128] carried from each run to the next, starting at zeros. Only whole windows are run.
//
// Once, in a scratch directory (not committed):
//   npm install --ignore-scripts onnxruntime-node@1.20.1
//   NODE_PATH=$PWD/node_modules node silero_reference.mjs MODEL.onnx AUDIO.wav > OUT.tsv
// Output: one line per window, "index<TAB>probability" (probability printed with 9 significant digits).
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const require = createRequire(join(process.env.NODE_PATH ?? process.cwd(), 'x.js'));
const ort = require('onnxruntime-node');

function readWav16(path) {
  const b = readFileSync(path);
  if (b.toString('ascii', 0, 4) !== 'RIFF' || b.toString('ascii', 8, 12) !== 'WAVE') throw new Error(path + ': not a WAV file');
  let at = 12, rate = 0, channels = 0, bits = 0;
  while (at + 8 <= b.length) {
    const id = b.toString('ascii', at, at + 4), size = b.readUInt32LE(at + 4);
    if (id === 'fmt ') { channels = b.readUInt16LE(at + 10); rate = b.readUInt32LE(at + 12); bits = b.readUInt16LE(at + 22); }
    if (id === 'data') {
      if (channels !== 1 || bits !== 16) throw new Error(path + ': expected mono 16-bit PCM');
      const n = size / 2, x = new Float32Array(n);
      for (let i = 0; i < n; i++) x[i] = b.readInt16LE(at + 8 + 2 * i) / 32768;
      return { rate, x };
    }
    at += 8 + size + (size & 1);
  }
  throw new Error(path + ': no data chunk');
}

const [modelPath, wavPath] = process.argv.slice(2);
const { rate, x } = readWav16(wavPath);
const window = rate === 16000 ? 512 : 256, context = rate === 16000 ? 64 : 32;
const session = await ort.InferenceSession.create(modelPath, { intraOpNumThreads: 1, interOpNumThreads: 1 });
let state = new Float32Array(2 * 128);
let ctx = new Float32Array(context);
const sr = new ort.Tensor('int64', BigInt64Array.from([BigInt(rate)]), []);
const lines = [];
for (let w = 0; (w + 1) * window <= x.length; w++) {
  const input = new Float32Array(context + window);
  input.set(ctx, 0);
  input.set(x.subarray(w * window, (w + 1) * window), context);
  const out = await session.run({
    input: new ort.Tensor('float32', input, [1, context + window]),
    state: new ort.Tensor('float32', state, [2, 1, 128]),
    sr,
  });
  state = Float32Array.from(out.stateN.data);
  ctx = input.slice(window);
  lines.push(w + '\t' + out.output.data[0].toPrecision(9));
}
process.stdout.write(lines.join('\n') + '\n');
