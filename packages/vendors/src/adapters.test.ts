import { describe, expect, it } from 'vitest';
import { adapters } from './testing/adapters';
import { chatCases } from './testing/chat.cases';
import { embedCases, privateSrcChecks } from './testing/embeds.cases';
import { type AdapterCase, describeAdapter } from './testing/harness';
import { pixelCases } from './testing/pixels.cases';
import { replayCases } from './testing/replay.cases';

const cases: Record<string, AdapterCase> = { ...replayCases, ...chatCases, ...pixelCases, ...embedCases };

it('has a behaviour case for every adapter, and none for an adapter that does not exist', () => {
  expect(Object.keys(cases).sort()).toEqual(Object.keys(adapters).sort());
});

for (const [id, adapter] of Object.entries(adapters)) {
  const c = cases[id];
  if (c) describeAdapter(adapter, c);
}

describe('embed private URLs', privateSrcChecks);
