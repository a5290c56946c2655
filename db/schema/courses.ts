/** Table types of the courses area, gathered into Database in db/schema.ts. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface CoursesTables {}
