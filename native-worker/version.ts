// The engine's version, recorded with every run (with the kernels that
// trained it) and in exports. Its own module, so the main process can read
// it without loading the engine.

export const ENGINE_VERSION = '0.1.0';
