/* This file is part of VBĐH. The COPYRIGHT file at the top level of this
   repository contains the full copyright notices and license terms. */
/* Loaded by sao's index.html after sao itself. The installation speaks
   Vietnamese: the login screen must too, whatever the browser's language;
   once logged in, the user's own language (vi by default) applies. */
(function() {
    'use strict';
    var setlang = Sao.i18n.setlang;
    Sao.i18n.setlang = function(lang) {
        return setlang(lang || 'vi');
    };
    Sao.config.title = 'VBĐH';
}());
