/** The next step a CLI user takes when the data folder cannot be used. */
export const DATA_DIR_NEXT_STEP = 'fix its permissions or pick another folder with --data-dir';
