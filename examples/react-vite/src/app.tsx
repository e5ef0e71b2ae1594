import { ClickToLoad, ConsentProvider, Gate, useConsent } from '@allparty/react';
import { useEffect } from 'react';
import { TagManager } from './tag-manager';

/** Stands for a component that talks to a vendor once it is allowed to exist. */
function ChatWidget() {
  useEffect(() => {
    document.title = 'allparty — chat on';
    return () => {
      document.title = 'allparty — React (Vite) example';
    };
  }, []);
  return <p data-example="chat">Chat with us: the Intercom messenger is on.</p>;
}

function Controls() {
  const consent = useConsent();
  if (!consent.ready) return null;
  return (
    <p>
      <button type="button" data-example="preferences" onClick={() => consent.show({ preferences: true })}>
        Privacy choices
      </button>{' '}
      <button type="button" data-example="withdraw" onClick={() => consent.withdraw()}>
        Withdraw everything
      </button>{' '}
      <output data-example="state">{consent.state?.needsDecision ? 'undecided' : 'decided'}</output>
    </p>
  );
}

export function App() {
  return (
    <ConsentProvider>
      <TagManager />
      <main>
        <h1>Acme Outdoor</h1>
        <Gate
          purpose="chat"
          vendor="intercom"
          fallback={
            <p data-example="chat-fallback">
              Chat is off. <a href="mailto:help@acme.example">Email us</a> instead.
            </p>
          }
        >
          <ChatWidget />
        </Gate>
        <ClickToLoad
          vendor="youtube"
          name="YouTube"
          receives="If you load it, Google LLC receives your IP address and what you watch."
          src="https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ"
          title="Our film"
        />
        <Controls />
      </main>
    </ConsentProvider>
  );
}
