"use strict";
module.exports = require("./privateTmpdir").setup;
