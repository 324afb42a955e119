// jsdom lacks these browser APIs that JupyterLab's UI components touch at import time.
if (typeof (globalThis as any).DragEvent === 'undefined') {
  (globalThis as any).DragEvent = class DragEvent extends Event {};
}
if (typeof window.matchMedia !== 'function') {
  window.matchMedia = (query: string) =>
    ({
      matches: false,
      media: query,
      onchange: null,
      addListener: () => undefined,
      removeListener: () => undefined,
      addEventListener: () => undefined,
      removeEventListener: () => undefined,
      dispatchEvent: () => false
    }) as MediaQueryList;
}
if (typeof (globalThis as any).requestIdleCallback !== 'function') {
  (globalThis as any).requestIdleCallback = (callback: IdleRequestCallback) =>
    setTimeout(() => callback({ didTimeout: false, timeRemaining: () => 0 }));
  (globalThis as any).cancelIdleCallback = (handle: number) =>
    clearTimeout(handle);
}
