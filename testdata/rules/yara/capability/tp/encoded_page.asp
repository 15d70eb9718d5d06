<%@ LANGUAGE = VBScript.Encode %>
<%#@~^FAAAAA==@#@&]/2Kxk+RMkO+,J4rJ@#@&sAcAAA==^#~@%>
