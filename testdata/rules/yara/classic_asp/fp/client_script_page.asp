<%@ Language="VBScript" %>
<html><head>
<script type="text/javascript">
  function show(json) { var o = eval("(" + json + ")"); document.getElementById("c").innerText = o.count; }
  function decode(s) { return unescape(s); }
</script>
</head>
<body onload="show('{&quot;count&quot;:<%= CInt(Request.QueryString("n")) %>}')"><span id="c"></span></body></html>
