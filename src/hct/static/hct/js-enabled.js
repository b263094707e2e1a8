// Runs first thing in <body> (a file, not inline, so the CSP needs no exception): GOV.UK Frontend
// styles depend on these classes being present before the page paints.
document.body.className += ' js-enabled' + ('noModule' in HTMLScriptElement.prototype ? ' govuk-frontend-supported' : '');
