/**
 * Every area's discussion places, registered with the engine. Import this module (once) wherever
 * threads are read or written: routes, jobs, tests. Reading clubs, contests and courses add theirs.
 */
import './forums/place.server';
import './clubs/place.server';
