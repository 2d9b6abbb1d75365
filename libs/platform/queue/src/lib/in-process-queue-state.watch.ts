import { Injectable } from '@nestjs/common';
import type { QueueStateWatch } from './queue-state.port';

/** The in-process driver's jobs are lost only with the process itself: nothing to watch. */
@Injectable()
export class InProcessQueueStateWatch implements QueueStateWatch {
  onLost(): void {
    // never lost while the process runs
  }
}
