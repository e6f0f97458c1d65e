/**
 * Upper bounds of the config schemas, checked before anything is allocated: a hidden or
 * embedding size (4096), stacked layers (16), tokens per text or window (100 000), vocabulary
 * entries and features (1 000 000). A `hiddenSize: 30000` LSTM would need 14 GB for one matrix.
 */
export const MAX_WIDTH = 4096;
/** Most stacked layers (recurrent or hidden) a config may ask for. */
export const MAX_LAYERS = 16;
/** Most tokens per text (`maxLength`) or per BPTT window (`bptt`). */
export const MAX_LENGTH = 100_000;
/** Most vocabulary entries, features, MLP inputs or outputs. */
export const MAX_VOCAB = 1_000_000;
