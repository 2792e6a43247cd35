declare module '!!raw-loader!*' {
  const source: string;
  export default source;
}
