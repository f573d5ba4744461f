/** Why an uploaded office file or archive is refused: the error code and the problem in words. */
export interface ScreeningProblem {
  code: 'FILE_ARCHIVE_REFUSED' | 'FILE_MACROS_REFUSED';
  problem: string;
}
