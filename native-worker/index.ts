// The training worker's entry: connect to whichever host started it, then
// serve its messages.

import { WorkerLoop } from './loop';
import { connectPort } from './port';

new WorkerLoop(connectPort());
