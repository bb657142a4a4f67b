'use strict';
// Grunt loads task files with require(), so this one is CommonJS (tasks/package.json says so). The task itself
// is an ES module, loaded with import() when a playcanvas target runs rather than when Grunt starts: Grunt
// loads every task file for every command, and `grunt lint` should not pay for the client and the browser check.

module.exports = function playcanvasTask(grunt) {
  const plain = plainly(grunt);
  grunt.registerMultiTask(
    'playcanvas',
    'Build a PlayCanvas project into a folder: ' +
      'the REST API build, downloaded, post-processed, checked, written when whole',
    function playcanvas() {
      const done = this.async();
      const options = optionsUnshown(grunt, this);
      const target = { options, target: this.data, nameArgs: this.nameArgs, cwd: process.cwd() };
      const log = {
        info: (line) => plain(() => grunt.log.writeln(line)),
        warn: (line) => plain(() => grunt.log.warn(line)),
      };
      import('../dist/index.js')
        .then((task) => {
          plain(() => grunt.verbose.writeflags(task.forDisplay(options), 'Options'));
          return task.runTarget(target, log);
        })
        .then(
          () => done(),
          (error) => {
            // A warning, as Grunt plugins fail: exit code 6, or with --force the next task runs. The message is
            // the client's, which never holds the token. done(false) records the failure for this.requires().
            const err = error instanceof Error ? error : new Error(String(error));
            // Grunt appends " Use --force to continue." to the message: end the sentence first
            if (!/[.!?]$/.test(err.message)) err.message += '.';
            plain(() => grunt.fail.warn(err));
            done(false);
          },
        );
    },
  );
};

/**
 * Every line of the task goes out through this. Grunt's log reads `_text_` as underline and `*text*` as bold
 * markup, and drops the marks (grunt-legacy-log's Log.prototype._markup, applied to each whole line, with no
 * option to turn it off), so `__loading__.js` would print as `_loading_.js`. The task's lines are text, not
 * markup: while one is written, the loggers' _markup is shadowed by one that leaves the text as it is; Grunt's
 * own lines are untouched. Should a later Grunt lack _markup, nothing is shadowed.
 */
function plainly(grunt) {
  const asIs = (text) => text || '';
  return (write) => {
    const loggers = [grunt.log, grunt.verbose].filter((logger) => logger && typeof logger._markup === 'function');
    const own = loggers.map((logger) => Object.getOwnPropertyDescriptor(logger, '_markup'));
    for (const logger of loggers) logger._markup = asIs;
    try {
      write();
    } finally {
      loggers.forEach((logger, i) => {
        if (own[i]) Object.defineProperty(logger, '_markup', own[i]);
        else delete logger._markup;
      });
    }
  };
}

/**
 * this.options() as Grunt merges it (task options, then the target's), without its verbose line that would show the
 * token.
 */
function optionsUnshown(grunt, task) {
  const muted = grunt.log.muted;
  grunt.log.muted = true;
  try {
    return task.options();
  } finally {
    grunt.log.muted = muted;
  }
}
