import { createContext, type ReactNode, useCallback, useContext, useMemo, useState } from 'react';

type Kind = 'info' | 'success' | 'error';
interface Toast {
  readonly id: number;
  readonly kind: Kind;
  readonly text: string;
}
interface Toaster {
  show(text: string, kind?: Kind): void;
}

const ToastContext = createContext<Toaster>({ show: () => undefined });

/** Short notices ("Saved", "Someone else changed it") announced to screen readers. */
export function useToast(): Toaster {
  return useContext(ToastContext);
}

let nextId = 1;

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((t) => t.id !== id)), []);
  const show = useCallback(
    (text: string, kind: Kind = 'info') => {
      const id = nextId++;
      setToasts((all) => [...all.slice(-3), { id, kind, text }]);
      setTimeout(() => dismiss(id), kind === 'error' ? 12_000 : 5_000);
    },
    [dismiss],
  );
  const toaster = useMemo(() => ({ show }), [show]);
  return (
    <ToastContext.Provider value={toaster}>
      {children}
      <div className="toasts" aria-live="polite" aria-relevant="additions">
        {toasts.map((t) => (
          <div key={t.id} className={`toast toast-${t.kind}`} role={t.kind === 'error' ? 'alert' : 'status'}>
            <span>{t.text}</span>
            <button type="button" className="link" onClick={() => dismiss(t.id)} aria-label="Dismiss">
              ×
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}
