/**
 * Neural networks in processors, through ONNX Runtime: {@link io.audiosockets.ml.ModelSpec} says how
 * a model is fed (samples or log-mel, window, hop, context, rate, state, outputs, overload policy),
 * {@link io.audiosockets.ml.StreamingModel} runs it over one stream;
 * {@link io.audiosockets.ml.ModelProcessor} over every stream a processor receives;
 * {@link io.audiosockets.ml.SileroVad} is the Silero VAD v5 built in. A module of its own so that
 * users of core and dsp do not pull in ONNX Runtime.
 */
package io.audiosockets.ml;
