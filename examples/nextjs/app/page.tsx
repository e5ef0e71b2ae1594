import { ClickToLoad, Gate } from '@allparty/react';
import { ChatWidget } from './chat-widget';
import { Controls } from './controls';
import { Providers } from './providers';
import { TagManager } from './tag-manager';

// A server component: the server renders every gate's fallback; the client takes over after hydration.
export default function Page() {
  return (
    <Providers>
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
    </Providers>
  );
}
