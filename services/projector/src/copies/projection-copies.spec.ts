import { cancellable, nextPhase, writtenCopies, type ProjectionCopies } from './projection-copies';

const copies = (phase: ProjectionCopies['phase']): ProjectionCopies => ({ projection: 'orders', active: 'b', other: 'a', phase });

describe('projection copies', () => {
  it('write both copies only while one is filled or drained', () => {
    expect(writtenCopies(copies('idle'))).toEqual(['b']);
    expect(writtenCopies(copies('clearing'))).toEqual(['b']);
    expect(writtenCopies(copies('filling'))).toEqual(['b', 'a']);
    expect(writtenCopies(copies('draining'))).toEqual(['b', 'a']);
    expect(writtenCopies(copies('dropping'))).toEqual(['b']);
  });

  it('walk a rebuild from clearing to idle', () => {
    expect([nextPhase('clearing'), nextPhase('filling'), nextPhase('draining'), nextPhase('dropping')]).toEqual(['filling', 'draining', 'dropping', 'idle']);
  });

  it('let a rebuild be cancelled only until the copies swap', () => {
    expect(['idle', 'clearing', 'filling', 'draining', 'dropping'].filter((phase) => cancellable(phase as ProjectionCopies['phase']))).toEqual(['clearing', 'filling']);
  });
});
