import { useEffect, useState } from 'react';
import { loadEstimator, STRENGTH_WORDS, type Strength } from '../lib/password-strength';

/** A meter and a word under a new master password; the estimator loads when the first character is typed. */
export function PasswordStrength({ password, id }: { password: string; id: string }) {
  const [strength, setStrength] = useState<Strength | null>(null);
  useEffect(() => {
    if (password === '') return;
    let live = true;
    void loadEstimator().then((estimate) => {
      if (live) setStrength(estimate(password, ['token', 'vault', 'tokenvault']));
    });
    return () => {
      live = false;
    };
  }, [password]);
  if (password === '' || strength === null) return <p id={id} className="visually-hidden" />;
  const advice = strength.warning ?? strength.suggestions[0] ?? null;
  return (
    <div id={id} className={`strength strength-${strength.score}`} aria-live="polite">
      <div className="strength-bar" aria-hidden="true">
        {[0, 1, 2, 3, 4].map((i) => (
          <span key={i} className={i <= strength.score ? 'on' : ''} />
        ))}
      </div>
      <p>
        Strength: <strong className="strength-word">{STRENGTH_WORDS[strength.score]}</strong>
        {advice && strength.score < 3 ? <span className="hint"> · {advice}</span> : null}
      </p>
    </div>
  );
}
