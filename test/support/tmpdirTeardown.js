"use strict";
module.exports = require("./privateTmpdir").teardown;
