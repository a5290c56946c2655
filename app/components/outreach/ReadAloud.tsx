/**
 * "Read aloud" preview of the loudspeaker text with the browser's own speech synthesis: a
 * Vietnamese (vi-VN) voice when the device has one; otherwise it says so (the text would be read
 * with a foreign voice that garbles the tones). Without JavaScript or speech synthesis nothing is
 * offered but a note: the page and its printable copy work the same.
 */
import { useEffect, useState } from 'react';

import { useT } from '~/i18n/i18n';

type State = { kind: 'pending' } | { kind: 'unsupported' } | { kind: 'ready'; voice: SpeechSynthesisVoice | null };

function vietnameseVoice(): SpeechSynthesisVoice | null {
  const voices = window.speechSynthesis.getVoices();
  return voices.find((v) => v.lang.toLowerCase() === 'vi-vn') ?? voices.find((v) => v.lang.toLowerCase().startsWith('vi')) ?? null;
}

export function ReadAloud({ sourceId }: { sourceId: string }) {
  const { t } = useT();
  const [state, setState] = useState<State>({ kind: 'pending' });
  const [speaking, setSpeaking] = useState(false);
  useEffect(() => {
    if (!('speechSynthesis' in window)) {
      setState({ kind: 'unsupported' });
      return;
    }
    const update = () => setState({ kind: 'ready', voice: vietnameseVoice() });
    update();
    window.speechSynthesis.addEventListener('voiceschanged', update);
    return () => {
      window.speechSynthesis.removeEventListener('voiceschanged', update);
      window.speechSynthesis.cancel();
    };
  }, []);
  if (state.kind === 'pending') return null;
  if (state.kind === 'unsupported')
    return (
      <p className="notice" data-speech="unsupported">
        {t('outreach.announcement.noSpeech')}
      </p>
    );
  const speak = () => {
    const el = document.getElementById(sourceId) as HTMLTextAreaElement | HTMLElement | null;
    const text = el ? ('value' in el ? el.value : el.textContent) : '';
    if (!text) return;
    window.speechSynthesis.cancel();
    const u = new SpeechSynthesisUtterance(text);
    u.lang = 'vi-VN';
    if (state.voice) u.voice = state.voice;
    u.rate = 0.9;
    u.onend = () => setSpeaking(false);
    u.onerror = () => setSpeaking(false);
    setSpeaking(true);
    window.speechSynthesis.speak(u);
  };
  return (
    <div className="read-aloud no-print">
      <p className="muted" data-speech={state.voice ? 'vi' : 'no-vi'}>
        {state.voice ? t('outreach.announcement.voice', { name: state.voice.name }) : t('outreach.announcement.noVoice')}
      </p>
      {speaking ? (
        <button
          type="button"
          className="button secondary"
          onClick={() => {
            window.speechSynthesis.cancel();
            setSpeaking(false);
          }}
        >
          {t('outreach.announcement.stop')}
        </button>
      ) : (
        <button type="button" className="button secondary" onClick={speak}>
          {t('outreach.announcement.readAloud')}
        </button>
      )}
    </div>
  );
}
