// The layer rules of ../shared/ARCHITECTURE.md, checked on every import (type-only ones too) by `npm test`
// (tests/architecture/layers.test.ts) and by hand: npx depcruise machine storage reader printer center samples kiosk bin
// Floors, from the ground up: machine/ and storage/; reader/ and printer/ (devices); center/; samples/; kiosk/
// (the terminal, its UI and journeys); kiosk/cli/ on top. An import may point down or sideways within its room, never
// up, and never round in a circle. Tests may import anything.
const TESTS = '(\\.test\\.tsx?$|/testing/|^tests/)';
const room = (name, comment, from, to, extra = {}) => ({ name, comment, severity: 'error', from: { path: from, pathNot: TESTS }, to: { path: to, ...extra } });

module.exports = {
  forbidden: [
    { name: 'no-circular', comment: 'Files that import each other cannot be understood, tested or moved apart.', severity: 'error', from: { pathNot: TESTS }, to: { circular: true } },
    {
      name: 'machine-is-pure',
      comment: 'The machine is the model: it imports xstate, its own files and data, never I/O, a device or Node.',
      severity: 'error',
      from: { path: '^machine/', pathNot: TESTS },
      to: { pathNot: '^(machine/|assets/)|(^|/)node_modules/xstate/' },
    },
    room('storage-is-ground', 'storage/ keeps files for every party and knows none of them.', '^storage/', '^(machine|reader|printer|center|samples|kiosk)/'),
    room('reader-is-a-device', 'The card stack imports no printer, center, samples or terminal.', '^reader/', '^(machine|printer|center|samples|kiosk)/'),
    room('printer-is-a-device', 'The printer lays out what it is given: no center, sample data or terminal.', '^printer/', '^(reader|center|samples|kiosk)/'),
    room('center-serves-terminals', 'The center knows no terminal code and no sample data.', '^center/', '^(samples|kiosk)/'),
    room('samples-below-the-kiosk', 'The sample world is data for the kiosk, not part of it.', '^samples/', '^kiosk/'),
    room('command-line-on-top', 'Only bin/ and the command line itself import kiosk/cli/.', '^(kiosk/(?!cli/)|machine|storage|reader|printer|center|samples)', '^kiosk/cli/'),
    room('ui-runs-in-the-browser', 'The touch UI is a browser program: no Node module.', '^kiosk/ui/', '^(node:|fs$|path$|os$|crypto$|child_process$|net$|http$)', { dependencyTypes: ['core'] }),
    room('ui-reads-the-protocol', 'The UI knows the terminal only through its protocol and view (types).', '^kiosk/ui/', '^(reader|printer|center|samples|storage)/'),
  ],
  options: {
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^dist/|^node_modules/)' },
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.tsx', '.mjs', '.js', '.json'] },
  },
};
