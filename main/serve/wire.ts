// The serve end of the wire codec (common/wire.ts), with Node's base64.

import { wireCodec } from '../../common/wire';

export const wire = wireCodec({
  encode: (bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'),
  decode: (text) => new Uint8Array(Buffer.from(text, 'base64')),
});
