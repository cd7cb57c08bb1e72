/** The part of autocannon's API the server benchmark uses (the package ships no types). */
declare module 'autocannon' {
  function autocannon(options: Record<string, unknown>): Promise<unknown>;
  export default autocannon;
}
