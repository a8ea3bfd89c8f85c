/** Architecture rules (design.md): the law lives in src/domain and does no I/O. */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      comment: 'src/domain holds pure rules: no I/O, no database, no other module, no node built-ins.',
      severity: 'error',
      from: { path: '^src/domain/' },
      to: { pathNot: ['^src/domain/'] },
    },
    {
      name: 'modules-through-index',
      comment: 'Modules talk to each other through their index.ts.',
      severity: 'error',
      from: { path: '^src/(registry|intake|billing|ledger|metering|channels)/' },
      to: {
        path: '^src/(registry|intake|billing|ledger|metering|channels)/[^/]+',
        pathNot: ['^src/$1/', 'index\\.ts$'],
      },
    },
    {
      name: 'sandbox-pay-is-another-company',
      comment: 'The bundled sandbox payment provider stands for a separate company: platform helpers only.',
      severity: 'error',
      from: { path: '^src/sandbox-pay/' },
      to: { path: '^src/', pathNot: ['^src/sandbox-pay/', '^src/platform/'] },
    },
    { name: 'no-circular', severity: 'error', from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '\\.test\\.ts$' },
  },
};
