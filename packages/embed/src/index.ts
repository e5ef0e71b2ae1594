import { SDK_VERSION } from '@allparty/core';

(window as unknown as { allpartyVersion: string }).allpartyVersion = SDK_VERSION;
