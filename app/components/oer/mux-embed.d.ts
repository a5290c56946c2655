// mux-embed ships no types; the player only calls monitor().
declare module 'mux-embed' {
  const mux: { monitor: (el: HTMLMediaElement | string, options: unknown) => void };
  export default mux;
}
