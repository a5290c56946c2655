/**
 * Read-aloud with the device's speech synthesis. Whether the device can speak — and has a
 * Vietnamese voice — is only known in the browser, so it is checked after hydration (never
 * during render, which would make the server and browser HTML differ).
 */
import { useCallback, useEffect, useState } from 'react';

export type SpeechState = 'unknown' | 'unsupported' | 'no-voice' | 'ready';

function vietnameseVoice(): SpeechSynthesisVoice | undefined {
  return window.speechSynthesis.getVoices().find((v) => v.lang.toLowerCase().replace('_', '-').startsWith('vi'));
}

export function useReadAloud(getText: () => string) {
  const [state, setState] = useState<SpeechState>('unknown');
  const [speaking, setSpeaking] = useState(false);
  const [refused, setRefused] = useState(false);

  useEffect(() => {
    if (!('speechSynthesis' in window)) {
      setState('unsupported');
      return;
    }
    const check = () => setState(vietnameseVoice() ? 'ready' : 'no-voice');
    check();
    window.speechSynthesis.addEventListener('voiceschanged', check);
    return () => {
      window.speechSynthesis.removeEventListener('voiceschanged', check);
      window.speechSynthesis.cancel();
    };
  }, []);

  const toggle = useCallback(() => {
    const synth = window.speechSynthesis;
    if (speaking) {
      synth.cancel();
      setSpeaking(false);
      return;
    }
    const voice = vietnameseVoice();
    // Without a Vietnamese voice the device would read Vietnamese with a foreign voice, or stay
    // silent: say so plainly instead of pretending to read.
    if (!voice) {
      setState('no-voice');
      setRefused(true);
      return;
    }
    const text = getText();
    if (!text.trim()) return;
    const u = new SpeechSynthesisUtterance(text);
    u.lang = 'vi-VN';
    u.voice = voice;
    u.rate = 0.95;
    u.onend = () => setSpeaking(false);
    u.onerror = () => setSpeaking(false);
    setSpeaking(true);
    synth.speak(u);
  }, [speaking, getText]);

  return { state, speaking, refused, toggle };
}
