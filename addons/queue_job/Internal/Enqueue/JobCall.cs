using System.Linq.Expressions;
using System.Reflection;

namespace PluginHost.Addons.QueueJob.Internal;

/// <summary>A method call on a recordset captured from a lambda: the method and the values of its arguments.</summary>
internal sealed record JobCall(MethodInfo Method, IReadOnlyList<object?> Arguments)
{
    /// <summary>
    /// Reads <c>r =&gt; r.Method(a, b)</c> called on <paramref name="records"/>; arguments may use <c>r</c> itself.
    /// Anything else is an error saying what is expected.
    /// </summary>
    public static JobCall Capture(LambdaExpression lambda, object records)
    {
        var self = lambda.Parameters[0];
        if (lambda.Body is not MethodCallExpression { Object: { } target } call || Unwrap(target) != self)
        {
            throw new ArgumentException($"Expected a call of a method on the recordset, such as r => r.Confirm(\"note\"); got {lambda}.", nameof(lambda));
        }

        if (!call.Method.IsPublic || call.Method.IsStatic)
        {
            throw new ArgumentException($"{call.Method.Name} must be a public instance method to run as a job.", nameof(lambda));
        }

        var bound = new ParameterBinder(self, Expression.Constant(records, self.Type));
        return new JobCall(call.Method, call.Arguments.Select(a => Evaluate(bound.Visit(a))).ToList());
    }

    private static Expression Unwrap(Expression expression) =>
        expression is UnaryExpression { NodeType: ExpressionType.Convert } convert ? Unwrap(convert.Operand) : expression;

    /// <summary>Replaces the lambda's parameter by the recordset the call is made on.</summary>
    private sealed class ParameterBinder(ParameterExpression parameter, Expression records) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == parameter ? records : node;
    }

    private static object? Evaluate(Expression argument) => argument switch
    {
        ConstantExpression constant => constant.Value,
        _ => Expression.Lambda<Func<object?>>(Expression.Convert(argument, typeof(object))).Compile(preferInterpretation: true)(),
    };
}
