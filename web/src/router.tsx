// A small router on the History API: paths look like /twente/monitoring. No dependency needed for this much.
import { createContext, useContext, useEffect, useState, type AnchorHTMLAttributes, type ReactNode } from 'react';

type Navigate = (to: string, opts?: { replace?: boolean }) => void;
const RouterContext = createContext<{ path: string; navigate: Navigate }>({ path: '/', navigate: () => {} });

export function Router({ children }: { children: ReactNode }) {
  const [path, setPath] = useState(() => location.pathname + location.search);
  useEffect(() => {
    const onPop = () => setPath(location.pathname + location.search);
    addEventListener('popstate', onPop);
    return () => removeEventListener('popstate', onPop);
  }, []);
  const navigate: Navigate = (to, opts = {}) => {
    if (to === location.pathname + location.search) return;
    if (opts.replace) history.replaceState(null, '', to);
    else {
      history.pushState(null, '', to);
      scrollTo(0, 0);
    }
    setPath(to);
  };
  return <RouterContext.Provider value={{ path, navigate }}>{children}</RouterContext.Provider>;
}

export const useRouter = () => useContext(RouterContext);

export function Link({ to, children, className, ...rest }: { to: string } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  const { navigate, path } = useRouter();
  const current = path.split('?')[0] === to.split('?')[0];
  return (
    <a
      {...rest}
      href={to}
      className={className ?? 'utrecht-link'}
      aria-current={current ? 'page' : undefined}
      onClick={(e) => {
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        navigate(to);
      }}
    >
      {children}
    </a>
  );
}

/** The query parameters of the current path. */
export function useSearchParam(name: string): [string | null, (value: string) => void] {
  const { path, navigate } = useRouter();
  const [pathname, search = ''] = path.split('?');
  const params = new URLSearchParams(search);
  return [
    params.get(name),
    (value) => {
      params.set(name, value);
      navigate(`${pathname}?${params}`, { replace: true });
    },
  ];
}
