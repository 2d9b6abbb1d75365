import { Injectable } from '@nestjs/common';
import type { QueueStateWatch } from './queue-state.port';

/** The in-process driver's jobs are lost only with the process itself: nothing to watch, and nothing kept at start. */
@Injectable()
export class InProcessQueueStateWatch implements QueueStateWatch {
  onLost(): void {
    // never lost while the process runs
  }

  async keptAtStart(): Promise<boolean> {
    return false; // the jobs of the last run died with it
  }
}
