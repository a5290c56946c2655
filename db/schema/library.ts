/** Table types of the library area, gathered into Database in db/schema.ts. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface LibraryTables {}
