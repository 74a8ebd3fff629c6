const t = process.cpuUsage(); const w = performance.now();
await import(process.argv[2]);
const c = process.cpuUsage(t);
console.log(process.argv[2], 'cpu', ((c.user + c.system) / 1000).toFixed(0), 'ms wall', (performance.now() - w).toFixed(0));
