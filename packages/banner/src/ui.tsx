import { gpcBlocks } from '@allparty/core';
import type { ComponentChildren } from 'preact';
import {
  type BannerVendor,
  fill,
  ownUseText,
  type PurposeGroup,
  policyLink,
  purposeText,
  type Texts,
  vendorLines,
} from './text';

/** The layers the banner can show. */
export type Layer = 'first' | 'preferences' | 'chat';

/** Everything a layer renders from: texts, vendors, current toggles, and the actions. */
export interface LayerProps {
  t: Texts;
  language: string;
  groups: PurposeGroup[];
  /** Vendors without a manifest: named only. */
  unknown: Set<string>;
  purposeConfig: Record<string, { title?: Record<string, string>; description?: Record<string, string> }>;
  gpc: boolean;
  policy: { url: string } | null;
  contact: { url: string; label?: string } | null;
  purposes: Record<string, boolean>;
  vendors: Record<string, boolean>;
  chat: { vendor: BannerVendor; declined: boolean } | null;
  /**
   * After a material change (R9): the vendors asked about again, when the visitor has decided
   * before; the first layer then names only them, and its Accept and Reject decide only them.
   * Null on a first visit.
   */
  changed: readonly string[] | null;
  /** The receipt control: false when there is no log or no decision yet, else its status text key. */
  receipt: false | null | 'receiptPending' | 'receiptDone' | 'receiptFailed';
  act: Actions;
}

/** What the controls do; the controller (mount.tsx) implements them. */
export interface Actions {
  acceptAll(): void;
  rejectAll(): void;
  save(): void;
  preferences(): void;
  close(): void;
  purpose(id: string, on: boolean): void;
  vendor(id: string, on: boolean): void;
  chatAccept(): void;
  chatDecline(): void;
  receipt(): void;
}

const CloseIcon = () => (
  <svg width="20" height="20" viewBox="0 0 20 20" aria-hidden="true" focusable="false">
    <path d="M4 4l12 12M16 4L4 16" stroke="currentColor" stroke-width="2.2" stroke-linecap="round" />
  </svg>
);

/**
 * A button carrying its `data-allparty-action`: primary (the equal pairs, § 7004 / R4: one class,
 * one colour) or secondary.
 */
export function Action(props: {
  action: string;
  secondary?: boolean;
  onClick: () => void;
  children: ComponentChildren;
}) {
  return (
    <button
      type="button"
      class={props.secondary ? '$button$ $secondary$' : '$button$ $primary$'}
      data-allparty-action={props.action}
      onClick={props.onClick}
    >
      {props.children}
    </button>
  );
}

function Equal({ t, act }: Pick<LayerProps, 't' | 'act'>) {
  // § 7004 / R4: Reject all and Accept all share one class, one grid track size, one colour.
  return (
    <div class="$equal$">
      <Action action="reject-all" onClick={act.rejectAll}>
        {t.rejectAll}
      </Action>
      <Action action="accept-all" onClick={act.acceptAll}>
        {t.acceptAll}
      </Action>
    </div>
  );
}

function Gpc({ t }: { t: Texts }) {
  return (
    <p class="$note$" data-allparty-gpc="">
      <strong>{t.gpcHonored}.</strong> {t.gpcDetail}
    </p>
  );
}

/**
 * The first layer: short notice, vendors by purpose in one line, three equal-step choices. After
 * a material change it asks again about what changed only: its own title and body, and only
 * those vendors.
 */
export function FirstLayer(props: LayerProps) {
  const { t, act, changed } = props;
  const line = props.groups
    .map((g) => ({ ...g, vendors: g.vendors.filter((v) => !changed || changed.includes(v.id)) }))
    .filter((g) => g.purpose !== 'necessary' && g.vendors.length)
    .map((g, i) => (
      <span key={g.purpose}>
        {i ? ' · ' : ''}
        <strong>{purposeText(g.purpose, t, props.language, { purposes: props.purposeConfig }).title}:</strong>{' '}
        {g.vendors.map((v) => v.name).join(', ')}
      </span>
    ));
  return (
    <div class="$layer$">
      <div
        class="$card$"
        role="dialog"
        aria-modal="false"
        aria-labelledby="ap-t"
        aria-describedby="ap-d"
        tabIndex={-1}
        data-allparty-banner="first"
        data-allparty-changed={changed ? changed.join(' ') : undefined}
      >
        <h2 id="ap-t">{changed ? t.changedTitle : t.title}</h2>
        <p id="ap-d">{changed ? t.changedBody : t.body}</p>
        <p>
          {line}{' '}
          <button type="button" class="$link$" data-allparty-action="vendor-list" onClick={act.preferences}>
            {t.vendorList}
          </button>
        </p>
        {props.gpc && <Gpc t={t} />}
        <div class="$actions$">
          <Equal t={t} act={act} />
          <Action action="preferences" secondary onClick={act.preferences}>
            {t.choose}
          </Action>
        </div>
        {props.policy && (
          <p class="$small$">
            <a href={props.policy.url}>{t.policy}</a>
          </p>
        )}
      </div>
    </div>
  );
}

function Modal(props: {
  layer: Layer;
  title: string;
  t: Texts;
  act: Actions;
  narrow?: boolean;
  children: ComponentChildren;
  footer: ComponentChildren;
}) {
  return (
    <div class="$overlay$">
      <div
        class={props.narrow ? '$card$ $modal$ $narrow$' : '$card$ $modal$'}
        role="dialog"
        aria-modal="true"
        aria-labelledby="ap-t"
        tabIndex={-1}
        data-allparty-banner={props.layer}
      >
        <div class="$header$">
          <h2 id="ap-t">{props.title}</h2>
          <button
            type="button"
            class="$close$"
            aria-label={props.t.close}
            data-allparty-action="close"
            onClick={props.act.close}
          >
            <CloseIcon />
          </button>
        </div>
        <div class="$scroll$">{props.children}</div>
        <div class="$footer$">{props.footer}</div>
      </div>
    </div>
  );
}

function Switch(props: {
  checked: boolean;
  /** The visible label's text too: axe ignores a labelledby target scrolled out of view. */
  label: string;
  labelledBy: string;
  describedBy?: string;
  onChange: (on: boolean) => void;
  data: Record<string, string>;
  /** Off and not operable: a purpose Global Privacy Control keeps off (§ 7025). @default false */
  disabled?: boolean;
}) {
  return (
    <input
      type="checkbox"
      role="switch"
      class="$switch$"
      disabled={props.disabled === true}
      checked={props.checked}
      aria-checked={props.checked}
      aria-label={props.label}
      aria-labelledby={props.labelledBy}
      aria-describedby={props.describedBy}
      onChange={(e) => props.onChange((e.currentTarget as HTMLInputElement).checked)}
      {...props.data}
    />
  );
}

/** The preference center: each purpose, each vendor under it with its generated disclosure. */
export function Preferences(props: LayerProps) {
  const { t, act } = props;
  return (
    <Modal
      layer="preferences"
      title={t.preferencesTitle}
      t={t}
      act={act}
      footer={
        <div class="$actions$">
          <Equal t={t} act={act} />
          <Action action="save" secondary onClick={act.save}>
            {t.save}
          </Action>
        </div>
      }
    >
      <p>{t.preferencesBody}</p>
      {props.gpc && <Gpc t={t} />}
      {props.groups.map((g) => {
        const p = g.purpose;
        const text = purposeText(p, t, props.language, { purposes: props.purposeConfig });
        const necessary = p === 'necessary';
        // § 7025: under GPC the sale/sharing purposes and their vendors stay off; the switch says so.
        const locked = (ps: readonly string[]) => gpcBlocks(ps, props.gpc);
        return (
          <section class="$purpose$" key={p} aria-labelledby={`ap-p-${p}`}>
            <div class="$row$">
              <h3 id={`ap-p-${p}`}>{text.title}</h3>
              {!necessary && (
                <Switch
                  checked={props.purposes[p] === true && !locked([p])}
                  disabled={locked([p])}
                  label={text.title}
                  labelledBy={`ap-p-${p}`}
                  describedBy={`ap-pd-${p}`}
                  onChange={(on) => act.purpose(p, on)}
                  data={{ 'data-allparty-action': 'toggle-purpose', 'data-allparty-purpose': p }}
                />
              )}
            </div>
            <p class="$small$" id={`ap-pd-${p}`}>
              {text.body}
            </p>
            {locked([p]) && <p class="$small$">{t.gpcHonored}</p>}
            {g.vendors.length > 0 && (
              <ul>
                {g.vendors.map((v) => (
                  <li key={v.id} data-allparty-vendor-info={v.id}>
                    <div class="$row$">
                      <span id={`ap-v-${p}-${v.id}`}>
                        <strong>{v.name}</strong>
                        {v.name !== v.legalName && ` (${v.legalName})`}
                      </span>
                      {!necessary && (
                        <Switch
                          checked={props.vendors[v.id] === true && !locked(v.purposes)}
                          disabled={locked(v.purposes)}
                          label={v.name === v.legalName ? v.name : `${v.name} (${v.legalName})`}
                          labelledBy={`ap-v-${p}-${v.id}`}
                          onChange={(on) => act.vendor(v.id, on)}
                          data={{ 'data-allparty-action': 'toggle-vendor', 'data-allparty-vendor': v.id }}
                        />
                      )}
                    </div>
                    {!props.unknown.has(v.id) &&
                      vendorLines(v, t).map((line) => (
                        <p class="$small$" key={line}>
                          {line}
                        </p>
                      ))}
                    {!props.unknown.has(v.id) && <VendorPolicy vendor={v} t={t} />}
                  </li>
                ))}
              </ul>
            )}
          </section>
        );
      })}
      {props.receipt !== false && (
        <p class="$small$">
          <button type="button" class="$link$" data-allparty-action="receipt" onClick={act.receipt}>
            {t.receipt}
          </button>{' '}
          <span role="status">{props.receipt && t[props.receipt]}</span>
        </p>
      )}
      {props.policy && (
        <p class="$small$">
          <a href={props.policy.url}>{t.policy}</a>
        </p>
      )}
    </Modal>
  );
}

/**
 * The vendor's own privacy policy, where the notice has it: what a visitor reads for what our
 * notice cannot state (an own use or a cookie lifetime the research did not establish).
 */
function VendorPolicy(props: { vendor: BannerVendor; t: Texts }) {
  const url = policyLink(props.vendor);
  return url ? (
    <p class="sm">
      <a href={url} target="_blank" rel="noopener noreferrer">
        {fill(props.t.vendorPolicy, { name: props.vendor.name })}
      </a>
    </p>
  ) : null;
}

/** The chat-start gate (R11): names the vendor, says messages are sent, recorded and stored. */
export function ChatGate(props: LayerProps) {
  const { t, act } = props;
  const chat = props.chat!;
  const v = chat.vendor;
  const names = { name: v.name, legalName: v.legalName };
  return (
    <Modal
      layer="chat"
      narrow
      title={fill(t.chatGateTitle, names)}
      t={t}
      act={act}
      footer={
        chat.declined ? (
          <div class="$actions$">
            <Action action="chat-close" secondary onClick={act.close}>
              {t.close}
            </Action>
          </div>
        ) : (
          <div class="$actions$">
            <div class="$equal$">
              <Action action="chat-decline" onClick={act.chatDecline}>
                {t.chatDecline}
              </Action>
              <Action action="chat-accept" onClick={act.chatAccept}>
                {t.chatAccept}
              </Action>
            </div>
          </div>
        )
      }
    >
      <p>{fill(t.chatGateBody, names)}</p>
      {v.ownUse !== false && (
        <p>
          {fill(t.chatGateOwnUse, {
            ...names,
            ownUse: ownUseText(v, t),
          })}
        </p>
      )}
      {!props.unknown.has(v.id) &&
        vendorLines(v, t)
          .filter((_, i, all) => i !== all.length - 2)
          .map((line) => (
            <p class="$small$" key={line}>
              {line}
            </p>
          ))}
      {!props.unknown.has(v.id) && <VendorPolicy vendor={v} t={t} />}
      {chat.declined && (
        <div class="$note$" role="status" data-allparty-chat-declined="">
          <p>{t.chatDeclined}</p>
          {props.contact && (
            <p>
              {t.chatAlternative} <a href={props.contact.url}>{props.contact.label ?? t.contact}</a>
            </p>
          )}
        </div>
      )}
    </Modal>
  );
}
