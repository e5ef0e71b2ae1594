/** @jsxImportSource react */
import type { Consent } from '@allparty/core';
import { act, type ReactNode, useEffect } from 'react';
import { createRoot, hydrateRoot, type Root } from 'react-dom/client';
import { renderToString } from 'react-dom/server';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { ClickToLoad, ConsentProvider, Gate, useConsent } from './index';
import type { ConsentSource } from './source';
import { testConsent } from './test-consent';

beforeAll(() => {
  (globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;
});

let root: Root | null = null;
afterEach(() => {
  act(() => root?.unmount());
  root = null;
  document.body.innerHTML = '';
  delete (window as { allparty?: unknown }).allparty;
});

function App({ children }: { children?: ReactNode }) {
  return (
    <>
      <Gate purpose="replay" vendor="hotjar" fallback={<p id="fallback">Replay is off</p>}>
        <p id="gated">Replay on</p>
      </Gate>
      {children}
    </>
  );
}

async function mount(node: ReactNode): Promise<HTMLElement> {
  const container = document.createElement('div');
  document.body.append(container);
  root = createRoot(container);
  await act(async () => root!.render(node));
  return container;
}

const $ = (selector: string) => document.querySelector(selector);

/** Stands for a component that starts a vendor on mount and stops it on unmount. */
function Replay({ onUnmount }: { onUnmount: () => void }) {
  useEffect(() => onUnmount, [onUnmount]);
  return <p id="gated">Replay on</p>;
}

function Panel() {
  const consent = useConsent();
  return (
    <div>
      <output id="state">
        {consent.ready
          ? JSON.stringify([consent.state?.needsDecision, consent.has('replay', 'hotjar')])
          : 'waiting'}
      </output>
      <button type="button" id="accept" onClick={() => consent.acceptAll()} />
      <button type="button" id="reject" onClick={() => consent.rejectAll()} />
      <button type="button" id="set" onClick={() => consent.set({ vendors: { hotjar: true } })} />
      <button type="button" id="withdraw" onClick={() => consent.withdraw(['replay'])} />
      <button type="button" id="show" onClick={() => consent.show({ preferences: true })} />
    </div>
  );
}
/** Passes a new `start` function each render, as an inline arrow would. */
function Shell({ n, start }: { n: number; start: () => Promise<Consent> }) {
  return (
    <ConsentProvider start={() => start()}>
      <Panel />
      <i>{n}</i>
    </ConsentProvider>
  );
}

describe('<Gate>', () => {
  it('renders its children only once granted and unmounts them on withdrawal', async () => {
    const consent = testConsent();
    const unmounted = vi.fn();
    await mount(
      <ConsentProvider consent={consent}>
        <Gate purpose="replay" vendor="hotjar" fallback={<p id="fallback">Replay is off</p>}>
          <Replay onUnmount={unmounted} />
        </Gate>
      </ConsentProvider>,
    );
    expect($('#gated')).toBeNull();
    expect($('#fallback')).not.toBeNull();
    await act(async () => void consent.acceptAll());
    expect($('#gated')).not.toBeNull();
    expect($('#fallback')).toBeNull();
    await act(async () => void consent.withdraw());
    expect($('#gated')).toBeNull();
    expect(unmounted).toHaveBeenCalledTimes(1);
  });

  it('needs the vendor too, and every purpose named', async () => {
    const consent = testConsent();
    await mount(
      <ConsentProvider consent={consent}>
        <Gate purpose={['replay', 'video']} fallback={<p id="fallback" />}>
          <p id="both" />
        </Gate>
        <Gate purpose="video" vendor="youtube">
          <p id="video" />
        </Gate>
      </ConsentProvider>,
    );
    await act(async () => void consent.set({ purposes: { video: true }, vendors: { youtube: false } }));
    expect($('#video')).toBeNull();
    await act(async () => void consent.set({ vendors: { youtube: true } }));
    expect($('#video')).not.toBeNull();
    expect($('#both')).toBeNull();
    await act(async () => void consent.set({ purposes: { replay: true } }));
    expect($('#both')).not.toBeNull();
  });

  it('renders the fallback without a provider', async () => {
    await mount(<App />);
    expect($('#fallback')).not.toBeNull();
  });
});

describe('useConsent()', () => {
  const click = (id: string) => act(async () => ($(`#${id}`) as HTMLElement).click());

  it('follows every change and calls the instance', async () => {
    const consent = testConsent();
    const shown = vi.fn();
    consent.on('show', shown);
    await mount(
      <ConsentProvider consent={consent}>
        <Panel />
      </ConsentProvider>,
    );
    expect($('#state')!.textContent).toBe('[true,false]');
    await click('set');
    expect($('#state')!.textContent).toBe('[true,true]');
    await click('withdraw');
    expect($('#state')!.textContent).toBe('[true,false]');
    await click('accept');
    expect($('#state')!.textContent).toBe('[false,true]');
    await click('reject');
    expect($('#state')!.textContent).toBe('[false,false]');
    await click('show');
    expect(shown).toHaveBeenCalledWith({ preferences: true });
  });

  it('uses window.allparty (the script tag) over the instance it is given, and never calls start', async () => {
    const page = testConsent();
    const given = testConsent();
    (window as { allparty?: ConsentSource }).allparty = page;
    const start = vi.fn(testConsent);
    await mount(
      <ConsentProvider consent={given} start={start}>
        <Panel />
      </ConsentProvider>,
    );
    await click('accept');
    expect(page.get().needsDecision).toBe(false);
    expect(given.get().needsDecision).toBe(true);
    expect(start).not.toHaveBeenCalled();
  });

  it('calls start once, in the browser, when there is neither', async () => {
    let started: Consent | null = null;
    const start = vi.fn(async () => {
      started = testConsent();
      return started;
    });
    await mount(<Shell n={1} start={start} />);
    await act(async () => root!.render(<Shell n={2} start={start} />));
    expect(start).toHaveBeenCalledTimes(1);
    await click('accept');
    expect(started!.get().needsDecision).toBe(false);
    expect($('#state')!.textContent).toBe('[false,true]');
  });
});

describe('server rendering and hydration', () => {
  it('renders the fallbacks on the server, hydrates without a mismatch, then shows what is granted', async () => {
    const consent = testConsent();
    consent.acceptAll();
    const start = vi.fn(testConsent);
    const app = (
      <ConsentProvider consent={consent} start={start}>
        <App>
          {/* srcdoc: happy-dom loads no frames and would say so on the console */}
          <ClickToLoad
            vendor="youtube"
            name="YouTube"
            src="https://www.youtube-nocookie.com/embed/x"
            title="Film"
            srcDoc=""
          />
        </App>
      </ConsentProvider>
    );
    const html = renderToString(app);
    expect(html).toContain('Replay is off');
    expect(html).not.toContain('Replay on');
    expect(html).toContain('data-allparty-embed="youtube"');
    expect(html).not.toContain('<iframe');

    const container = document.createElement('div');
    container.innerHTML = html;
    document.body.append(container);
    const recoverable = vi.fn();
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    await act(async () => {
      root = hydrateRoot(container, app, { onRecoverableError: recoverable });
    });
    expect(recoverable).not.toHaveBeenCalled();
    expect(errors).not.toHaveBeenCalled();
    errors.mockRestore();
    expect($('#gated')).not.toBeNull();
    expect($('iframe')?.getAttribute('src')).toBe('https://www.youtube-nocookie.com/embed/x');
  });
});

describe('<ClickToLoad>', () => {
  it('shows the banner’s placeholder until the vendor is granted from its button, and again after a withdrawal', async () => {
    const consent = testConsent();
    consent.rejectAll();
    await mount(
      <ConsentProvider consent={consent}>
        <ClickToLoad
          vendor="youtube"
          name="YouTube"
          receives="If you load it, Google LLC receives your IP address."
          src="https://www.youtube-nocookie.com/embed/abc"
          title="Our film"
          srcDoc=""
          width={640}
          height={360}
        />
      </ConsentProvider>,
    );
    const card = $('[data-allparty-embed="youtube"]') as HTMLElement;
    expect(card.textContent).toContain('Content from YouTube');
    expect(card.textContent).toContain('Google LLC receives your IP address.');
    expect(card.style.width).toBe('640px');
    expect($('iframe')).toBeNull();
    await act(async () => ($('[data-allparty-action="embed-always"]') as HTMLElement).click());
    expect(consent.has('video', 'youtube')).toBe(true);
    expect(consent.has('replay', 'hotjar')).toBe(false);
    const frame = $('iframe')!;
    expect(frame.getAttribute('src')).toBe('https://www.youtube-nocookie.com/embed/abc');
    expect(frame.getAttribute('title')).toBe('Our film');
    await act(async () => void consent.withdraw(['video']));
    expect($('iframe')).toBeNull();
    expect($('[data-allparty-embed="youtube"]')).not.toBeNull();
  });

  it('survives the guard replacing its frame on a withdrawal (the embed tears a withdrawn vendor’s frames down)', async () => {
    const consent = testConsent();
    // As the embed's guard does on `stop`, before the change reaches React: the frame becomes an inert copy.
    consent.on('stop', () => {
      for (const frame of document.querySelectorAll('iframe')) frame.replaceWith(frame.cloneNode(false));
    });
    consent.set({ vendors: { youtube: true } });
    const errors = vi.spyOn(console, 'error').mockImplementation(() => {});
    await mount(
      <ConsentProvider consent={consent}>
        <ClickToLoad vendor="youtube" src="https://www.youtube-nocookie.com/embed/abc" srcDoc="" />
      </ConsentProvider>,
    );
    expect($('iframe')).not.toBeNull();
    await act(async () => void consent.withdraw(['video']));
    expect(errors).not.toHaveBeenCalled();
    errors.mockRestore();
    expect($('iframe')).toBeNull();
    expect($('[data-allparty-embed="youtube"]')).not.toBeNull();
  });
});
